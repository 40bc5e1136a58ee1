import type { ReportType, Urgency } from '../../api/vocabulary/report-types.ts';
import type { Datum } from '../../geo/convert-datum.ts';
import type { StoredPhoto } from './photos.ts';

/** Where the report is, and how the user said so. */
export interface ReportPlace {
  /** [lng, lat] in degrees, in `datum` (GPS and 天地图 give WGS84, 高德/腾讯 GCJ-02, 百度 BD-09). */
  position: [number, number];
  datum: Datum;
  /** Radius of the phone's 68% confidence circle in metres; null when tapped on the map or typed. */
  accuracyM: number | null;
  source: 'gps' | 'map' | 'typed';
}

/** Coordinates typed or pasted but perhaps not applied yet: kept with the draft, like every other keystroke. */
export interface CoordinateEntry {
  text: string;
  datum: Datum;
}

/** The report form as typed so far. */
export interface ReportDraft {
  type: ReportType | null;
  urgency: Urgency;
  description: string;
  place: ReportPlace | null;
  coordinates: CoordinateEntry;
  photos: StoredPhoto[];
}

/** A draft without its photos: what is written on each keystroke (photos are stored apart). */
export type DraftFields = Omit<ReportDraft, 'photos'>;

export const EMPTY_DRAFT: ReportDraft = {
  type: null,
  urgency: 'normal',
  description: '',
  place: null,
  coordinates: { text: '', datum: 'wgs84' },
  photos: [],
};

/** A report ready to send: every required field filled in. */
export interface ReadyReport {
  type: ReportType;
  urgency: Urgency;
  description: string;
  place: ReportPlace;
  photos: StoredPhoto[];
}

/** Nothing typed, picked or photographed: such a draft is not kept. */
export function isEmptyDraft(draft: ReportDraft): boolean {
  return (
    draft.type === null &&
    draft.urgency === 'normal' &&
    draft.description === '' &&
    draft.place === null &&
    draft.coordinates.text === '' &&
    draft.photos.length === 0
  );
}
