/**
 * Reads a coordinate pair typed or pasted on a phone: `106.92,31.91`, `31.91, 106.92`,
 * `31.91N 106.92E`, `北纬31°54′36″ 东经106°55′12″`, with full-width digits and punctuation as
 * Chinese keyboards type them. The datum (WGS84, GCJ-02, BD-09) is not in the text: the user
 * says which.
 *
 * The order of two bare numbers is decided by where China is: longitudes there are 73-136°E and
 * latitudes 3-54°N, two ranges that do not overlap, so whichever number is a Chinese longitude
 * is the longitude. A hemisphere mark (N/S/E/W, 北纬/南纬/东经/西经) decides instead when present.
 */

/** Longitudes and latitudes that can be in China (with the South China Sea islands), in degrees. */
const CHINA_LNG: readonly [number, number] = [73, 136];
const CHINA_LAT: readonly [number, number] = [3, 54];

type CoordinateOrder = 'lng-lat' | 'lat-lng';

export type ParsedCoordinates =
  /** `position` is [lng, lat] in degrees, in the datum the text was written in. */
  | { ok: true; position: [number, number]; order: CoordinateOrder }
  | {
      ok: false;
      /**
       * `empty`: nothing typed; `not-a-pair`: not exactly two numbers; `bad-angle`: minutes or
       * seconds of 60 or more, a latitude beyond 90° or a longitude beyond 180°, or two marks of
       * the same axis; `not-in-china`: neither order puts the point in China.
       */
      reason: 'empty' | 'not-a-pair' | 'bad-angle' | 'not-in-china';
    };

type Axis = 'lng' | 'lat';

interface Component {
  degrees: number;
  axis: Axis | null;
}

/** Full-width ASCII (０-９, ，, ．, －, Ｎ…) to half-width; the Chinese enumeration comma to a comma. */
function halfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/、/g, ',');
}

const MARK = '北纬|南纬|东经|西经|(?<![A-Za-z])[NSEW](?![A-Za-z])';
const NUMBER = '\\d+(?:\\.\\d+)?';
/**
 * One angle: an optional mark, a signed number of degrees, optional minutes and seconds, an
 * optional mark after it. Groups: 1 mark before, 2 sign, 3 degrees, 4 minutes, 5 seconds, 6 mark after.
 */
const COMPONENT = new RegExp(
  `(${MARK})?\\s*([+-])?(${NUMBER})\\s*(?:[°度]\\s*(?:(${NUMBER})\\s*['′’分]\\s*(?:(${NUMBER})\\s*(?:["″”秒]|'')\\s*)?)?)?(${MARK})?`,
  'g',
);

function markOf(mark: string | undefined): { axis: Axis; sign: 1 | -1 } | null {
  switch (mark) {
    case 'N':
    case '北纬':
      return { axis: 'lat', sign: 1 };
    case 'S':
    case '南纬':
      return { axis: 'lat', sign: -1 };
    case 'E':
    case '东经':
      return { axis: 'lng', sign: 1 };
    case 'W':
    case '西经':
      return { axis: 'lng', sign: -1 };
    default:
      return null;
  }
}

function componentsOf(text: string): Component[] | 'bad-angle' {
  const components: Component[] = [];
  for (const match of text.matchAll(COMPONENT)) {
    const [, before, sign, degrees, minutes, seconds, after] = match;
    const minuteValue = minutes === undefined ? 0 : Number(minutes);
    const secondValue = seconds === undefined ? 0 : Number(seconds);
    if (minuteValue >= 60 || secondValue >= 60) return 'bad-angle';
    const mark = markOf(before) ?? markOf(after);
    const magnitude = Number(degrees) + minuteValue / 60 + secondValue / 3600;
    const signed = (sign === '-' ? -1 : 1) * (mark?.sign ?? 1) * magnitude;
    components.push({ degrees: signed, axis: mark?.axis ?? null });
  }
  return components;
}

const within = (value: number, [low, high]: readonly [number, number]) => value >= low && value <= high;
const inChina = (lng: number, lat: number) => within(lng, CHINA_LNG) && within(lat, CHINA_LAT);

/** The [lng, lat] a person meant by `text`, or why it cannot be read. */
export function parseCoordinates(text: string): ParsedCoordinates {
  const normalized = halfWidth(text).trim();
  if (normalized === '') return { ok: false, reason: 'empty' };
  const components = componentsOf(normalized);
  if (components === 'bad-angle') return { ok: false, reason: 'bad-angle' };
  if (components.length !== 2) return { ok: false, reason: 'not-a-pair' };
  const [first, second] = components as [Component, Component];

  let order: CoordinateOrder;
  if (first.axis !== null || second.axis !== null) {
    if (first.axis !== null && first.axis === second.axis) return { ok: false, reason: 'bad-angle' };
    order = first.axis === 'lat' || second.axis === 'lng' ? 'lat-lng' : 'lng-lat';
  } else if (inChina(first.degrees, second.degrees)) {
    order = 'lng-lat';
  } else if (inChina(second.degrees, first.degrees)) {
    order = 'lat-lng';
  } else {
    return { ok: false, reason: 'not-in-china' };
  }

  const [lng, lat] = order === 'lng-lat' ? [first.degrees, second.degrees] : [second.degrees, first.degrees];
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return { ok: false, reason: 'bad-angle' };
  if (!inChina(lng, lat)) return { ok: false, reason: 'not-in-china' };
  return { ok: true, position: [lng, lat], order };
}
