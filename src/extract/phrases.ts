/**
 * Short stand-alone lines that are page furniture in any site's template:
 * "Read also", "Mehr zum Thema", "À lire aussi", "Advertisement", "Share" …
 * (a small multilingual list for the languages most common in web corpora).
 * Only whole short blocks are matched, never phrases inside sentences.
 */

const PHRASES = [
  // English
  'read more',
  'read also',
  'also read',
  'read',
  'see also',
  'watch',
  'listen',
  'more',
  'related article',
  'related story',
  'related',
  'related articles',
  'related posts',
  'related stories',
  'related coverage',
  'related content',
  'related links',
  'related topics',
  'you may also like',
  'you might also like',
  'recommended',
  'recommended for you',
  'most read',
  'most popular',
  'most viewed',
  'trending',
  'advertisement',
  'sponsored',
  'sponsored content',
  'share',
  'share this',
  'share this article',
  'share this post',
  'share on facebook',
  'share on twitter',
  'print',
  'email',
  'tweet',
  'comments',
  'leave a comment',
  'leave a reply',
  'continue reading',
  'subscribe',
  'subscribe now',
  'follow us',
  'tags',
  'filed under',
  'posted in',
  'more stories',
  'more news',
  'latest news',
  'latest posts',
  'recent posts',
  'previous post',
  'next post',
  'back to top',
  'top stories',
  // German
  'mehr zum thema',
  'lesen sie auch',
  'lesen sie mehr',
  'auch interessant',
  'das könnte sie auch interessieren',
  'das könnte dich auch interessieren',
  'weitere artikel',
  'weitere beiträge',
  'weitere themen',
  'weitere nachrichten',
  'weiterführende links',
  'ähnliche artikel',
  'ähnliche beiträge',
  'verwandte artikel',
  'verwandte beiträge',
  'verwandte themen',
  'anzeige',
  'werbung',
  'teilen',
  'drucken',
  'kommentare',
  'kommentieren',
  'schlagworte',
  'schlagwörter',
  'empfehlungen',
  'meistgelesen',
  'meistgelesene artikel',
  'neueste artikel',
  'neueste beiträge',
  'zum thema',
  'auch lesen',
  'schon gelesen',
  'mehr dazu',
  'nach oben',
  'zurück',
  'artikel teilen',
  'beitrag teilen',
  // French
  'à lire aussi',
  'a lire aussi',
  'lire aussi',
  'voir aussi',
  'sur le même sujet',
  'articles liés',
  'articles similaires',
  'publicité',
  'partager',
  'imprimer',
  'les plus lus',
  'articles les plus lus',
  'à lire également',
  'lire la suite',
  // Spanish / Portuguese / Italian
  'leer también',
  'lea también',
  'te puede interesar',
  'le puede interesar',
  'temas relacionados',
  'noticias relacionadas',
  'publicidad',
  'compartir',
  'lo más leído',
  'leia também',
  'leia mais',
  'veja também',
  'publicidade',
  'compartilhe',
  'leggi anche',
  'potrebbe interessarti',
  'articoli correlati',
  'pubblicità',
  'condividi',
  // Polish / Dutch
  'czytaj też',
  'czytaj także',
  'czytaj również',
  'zobacz też',
  'zobacz także',
  'zobacz również',
  'reklama',
  'udostępnij',
  'polecamy',
  'lees ook',
  'gerelateerde artikelen',
  'advertentie',
  'delen',
];
const PHRASE_SET = new Set(PHRASES);
/** Prefixes of labels for links to more content ("More from …", "Mehr aus dem Ressort …"). */
const PREFIXES = /^(more (from|on|about|in)|mehr (aus|von|zu|über)|plus (de|d')|más (de|sobre)|altri|więcej)\b/;

/** One code point of whitespace, punctuation or symbol (what a label is trimmed of). */
const TRIM_CHAR = /^[\s\p{P}\p{S}]$/u;
function isTrimAscii(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}
const MAX_PHRASE_LENGTH = Math.max(40, ...PHRASES.map((p) => p.length));

/** True when a short block is nothing but a template label such as "Read also:". */
export function isBoilerplatePhrase(text: string): boolean {
  if (text.length > 60) return false;
  // Short block texts repeat within and across pages (names, dates, "Reply"): remember answers.
  const known = memo.get(text);
  if (known !== undefined) return known;
  const answer = judge(text);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(text, answer);
  return answer;
}

const memo = new Map<string, boolean>();
const MEMO_MAX = 20000;

/** The uncached test (called for many blocks of every page, so the trimming is a hand-written scan). */
function judge(text: string): boolean {
  // Trim whitespace / punctuation / symbols (whole code points) from both ends.
  let start = 0;
  let end = text.length;
  while (start < end) {
    const c = text.charCodeAt(start);
    if (c < 128) {
      if (!isTrimAscii(c)) break;
      start++;
      continue;
    }
    const cp = text.codePointAt(start)!;
    const ch = String.fromCodePoint(cp);
    if (!TRIM_CHAR.test(ch)) break;
    start += ch.length;
  }
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c < 128) {
      if (!isTrimAscii(c)) break;
      end--;
      continue;
    }
    const pair = c >= 0xdc00 && c <= 0xdfff && end - 2 >= start && text.charCodeAt(end - 2) >= 0xd800 && text.charCodeAt(end - 2) <= 0xdbff;
    const ch = pair ? text.slice(end - 2, end) : text[end - 1];
    if (!TRIM_CHAR.test(ch)) break;
    end -= ch.length;
  }
  if (start === end) return false;
  const t = text
    .slice(start, end)
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ');
  if (t.length > MAX_PHRASE_LENGTH) return false;
  if (PHRASE_SET.has(t)) return true;
  return t.length <= 40 && PREFIXES.test(t) && !/[.!?]/.test(t);
}
