/**
 * Short stand-alone lines that are page furniture in any site's template:
 * "Read also", "Mehr zum Thema", "À lire aussi", "Advertisement", "Share" …
 * (a small multilingual list for the languages most common in web corpora).
 * Only whole short blocks are matched, never phrases inside sentences.
 */

const PHRASES = [
  // English
  'read more', 'read also', 'also read', 'read', 'see also', 'watch', 'listen', 'more', 'related article', 'related story', 'related', 'related articles', 'related posts', 'related stories',
  'related coverage', 'related content', 'related links', 'related topics', 'you may also like', 'you might also like',
  'recommended', 'recommended for you', 'most read', 'most popular', 'most viewed', 'trending', 'advertisement',
  'sponsored', 'sponsored content', 'share', 'share this', 'share this article', 'share this post', 'share on facebook',
  'share on twitter', 'print', 'email', 'tweet', 'comments', 'leave a comment', 'leave a reply', 'continue reading',
  'subscribe', 'subscribe now', 'follow us', 'tags', 'filed under', 'posted in', 'more stories', 'more news',
  'latest news', 'latest posts', 'recent posts', 'previous post', 'next post', 'back to top', 'top stories',
  // German
  'mehr zum thema', 'lesen sie auch', 'lesen sie mehr', 'auch interessant', 'das könnte sie auch interessieren',
  'das könnte dich auch interessieren', 'weitere artikel', 'weitere beiträge', 'weitere themen', 'weitere nachrichten',
  'weiterführende links', 'ähnliche artikel', 'ähnliche beiträge', 'verwandte artikel', 'verwandte beiträge',
  'verwandte themen', 'anzeige', 'werbung', 'teilen', 'drucken', 'kommentare', 'kommentieren', 'schlagworte',
  'schlagwörter', 'empfehlungen', 'meistgelesen', 'meistgelesene artikel', 'neueste artikel', 'neueste beiträge',
  'zum thema', 'auch lesen', 'schon gelesen', 'mehr dazu', 'nach oben', 'zurück', 'artikel teilen', 'beitrag teilen',
  // French
  'à lire aussi', 'a lire aussi', 'lire aussi', 'voir aussi', 'sur le même sujet', 'articles liés', 'articles similaires',
  'publicité', 'partager', 'imprimer', 'les plus lus', 'articles les plus lus', 'à lire également', 'lire la suite',
  // Spanish / Portuguese / Italian
  'leer también', 'lea también', 'te puede interesar', 'le puede interesar', 'temas relacionados', 'noticias relacionadas',
  'publicidad', 'compartir', 'lo más leído', 'leia também', 'leia mais', 'veja também', 'publicidade', 'compartilhe',
  'leggi anche', 'potrebbe interessarti', 'articoli correlati', 'pubblicità', 'condividi',
  // Polish / Dutch
  'czytaj też', 'czytaj także', 'czytaj również', 'zobacz też', 'zobacz także', 'zobacz również', 'reklama',
  'udostępnij', 'polecamy', 'lees ook', 'gerelateerde artikelen', 'advertentie', 'delen',
];
const PHRASE_SET = new Set(PHRASES);
/** Prefixes of labels for links to more content ("More from …", "Mehr aus dem Ressort …"). */
const PREFIXES = /^(more (from|on|about|in)|mehr (aus|von|zu|über)|plus (de|d')|más (de|sobre)|altri|więcej)\b/;

/** True when a short block is nothing but a template label such as "Read also:". */
export function isBoilerplatePhrase(text: string): boolean {
  if (text.length > 60) return false;
  const t = text
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .trim();
  if (t === '') return false;
  if (PHRASE_SET.has(t)) return true;
  return t.length <= 40 && PREFIXES.test(t) && !/[.!?]/.test(t);
}
