import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Language } from './vocabulary/label.ts';

/** A message in each language the UI speaks; Chinese is the default. */
export interface LocalizedMessage {
  zh: string;
  en: string;
}

/**
 * An expected failure: bad input, an unknown area, a tile that cannot exist. Carries an
 * HTTP status, a stable machine `code` and a message per language. Bugs are plain Errors.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly localized: LocalizedMessage,
    readonly details?: unknown,
  ) {
    super(localized.en);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, localized: LocalizedMessage, details?: unknown) =>
  new AppError(400, code, localized, details);

export const notFound = (code: string, localized: LocalizedMessage, details?: unknown) =>
  new AppError(404, code, localized, details);

export type { Language };

/** English when the client asks for it first, Chinese otherwise. */
export function languageOf(acceptLanguage: string | undefined): Language {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(error: AppError, language: Language): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.localized[language],
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}
