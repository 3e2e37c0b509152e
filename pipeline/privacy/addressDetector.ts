import { PiiDetector, regexSpans } from "./piiKind.js";

const word = String.raw`[\p{L}\d][\p{L}\d-]*`;
const capitalised = String.raw`\p{Lu}[\p{L}-]*`;
// House, building and flat parts of a Russian address: "д. 5", "дом 5а", "корп. 2", "стр. 1", "кв. 12".
const house = String.raw`(?:,?\s*(?:д\.|дом)\s*\d+[а-яa-z]?(?:\/\d+)?|,?\s*\d+[а-яa-z]?(?:\/\d+)?(?![\p{L}\d]))`;
const building = String.raw`(?:,?\s*(?:корп\.?|к\.|стр\.|строение)\s*\d+)`;
const flat = String.raw`(?:,?\s*(?:кв\.?|квартира|оф\.?|офис)\s*\d+[а-яa-z]?)`;
const ruPrefix = String.raw`(?:ул\.|улица|пр-т|просп\.|проспект|пер\.|переулок|б-р|бульвар|наб\.|набережная|ш\.|шоссе|пл\.|площадь)`;
const ruSuffix = "(?:улица|проспект|переулок|бульвар|шоссе|набережная)";

const ruStreetFirst = String.raw`${ruPrefix}\s*${word}(?:\s+${capitalised}){0,2}${house}?${building}?${flat}?`;
const ruStreetLast = String.raw`${capitalised}\s+${ruSuffix}${house}?${building}?${flat}?`;
// Without a street, only a house with a flat, or a flat alone, is specific enough to be an address.
const ruHouseFlat = String.raw`(?:д\.|дом)\s*\d+[а-яa-z]?${building}?${flat}|(?:кв\.|квартира)\s*\d+[а-яa-z]?`;

const enSuffix =
  "(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Ct|Court|Pl|Place|Way|Sq|Square)";
const enUnit = String.raw`(?:Apt|Apartment|Suite|Ste|Unit)\.?\s*#?\d+[A-Za-z]?`;
// The street name must be capitalised: "walked 5 miles down the street" is not an address.
const enStreet = String.raw`\d{1,5}\s+(?:${capitalised}\s+){1,3}(?:${enSuffix}|${enSuffix.toLowerCase()})\.?(?:,?\s*${enUnit})?`;

/** The whole pattern (exported for the test that the hint below never hides one of its matches). */
export const addressPattern = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${ruStreetFirst}|${ruStreetLast}|${ruHouseFlat}|${enStreet}|${enUnit})(?![\\p{L}\\p{N}])`,
  "gu",
);

// Every alternative needs a digit (house, flat, unit, English street number) or a Russian street word.
/**
 * What every alternative above must contain (a test before the pattern, which is costly to run at every
 * position): a Russian street word (the suffixes are among the prefixes), a house or flat word, a number
 * followed by a capitalised word (an English street), or an English unit word. Not just a digit: most chat
 * messages have one (times, prices, counts) and no address.
 */
const addressHint = new RegExp(
  String.raw`${ruPrefix}|д\.|дом|кв\.|квартира|\d\s+\p{Lu}|Apt|Apartment|Suite|Ste|Unit`,
  "u",
);

export const addressDetector: PiiDetector = {
  kind: "address",
  find: (text) => (addressHint.test(text) ? regexSpans(text, addressPattern) : []),
};
