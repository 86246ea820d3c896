/**
 * English names of the languages franc reports most often (ISO 639-3), for prompts such as
 * "write … in German". Codes not listed fall back to a description naming the code, which
 * chat models understand as well.
 */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  afr: 'Afrikaans',
  als: 'Albanian',
  amh: 'Amharic',
  arb: 'Arabic',
  ara: 'Arabic',
  azj: 'Azerbaijani',
  bel: 'Belarusian',
  ben: 'Bengali',
  bos: 'Bosnian',
  bul: 'Bulgarian',
  cat: 'Catalan',
  ces: 'Czech',
  cmn: 'Chinese',
  zho: 'Chinese',
  dan: 'Danish',
  deu: 'German',
  ell: 'Greek',
  eng: 'English',
  est: 'Estonian',
  eus: 'Basque',
  fin: 'Finnish',
  fra: 'French',
  glg: 'Galician',
  guj: 'Gujarati',
  hau: 'Hausa',
  heb: 'Hebrew',
  hin: 'Hindi',
  hrv: 'Croatian',
  hun: 'Hungarian',
  hye: 'Armenian',
  ibo: 'Igbo',
  ind: 'Indonesian',
  isl: 'Icelandic',
  ita: 'Italian',
  jpn: 'Japanese',
  kan: 'Kannada',
  kat: 'Georgian',
  kaz: 'Kazakh',
  khm: 'Khmer',
  kor: 'Korean',
  lav: 'Latvian',
  lit: 'Lithuanian',
  mal: 'Malayalam',
  mar: 'Marathi',
  mkd: 'Macedonian',
  mya: 'Burmese',
  nld: 'Dutch',
  nno: 'Norwegian Nynorsk',
  nob: 'Norwegian',
  npi: 'Nepali',
  pan: 'Punjabi',
  pes: 'Persian',
  fas: 'Persian',
  pol: 'Polish',
  por: 'Portuguese',
  ron: 'Romanian',
  rus: 'Russian',
  sin: 'Sinhala',
  slk: 'Slovak',
  slv: 'Slovenian',
  som: 'Somali',
  spa: 'Spanish',
  srp: 'Serbian',
  swe: 'Swedish',
  swh: 'Swahili',
  tam: 'Tamil',
  tel: 'Telugu',
  tgl: 'Tagalog',
  tha: 'Thai',
  tur: 'Turkish',
  ukr: 'Ukrainian',
  urd: 'Urdu',
  uzn: 'Uzbek',
  vie: 'Vietnamese',
  yor: 'Yoruba',
  zlm: 'Malay',
  zsm: 'Malay',
  zul: 'Zulu',
};

/** True when the code names a language we have an English name for. */
export function hasLanguageName(code: string | null | undefined): boolean {
  return !!code && Object.hasOwn(LANGUAGE_NAMES, code);
}

/**
 * How a prompt names the language of ISO 639-3 `code`: "German"; for an unlisted code
 * `the language with ISO 639-3 code "xyz"`; for null/"und" the excerpt's own language.
 */
export function languageForPrompt(code: string | null | undefined): string {
  if (!code || code === 'und') return 'the same language as the excerpt';
  if (hasLanguageName(code)) return LANGUAGE_NAMES[code];
  return `the language with ISO 639-3 code "${code}" (the language of the excerpt)`;
}
