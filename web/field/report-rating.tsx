import { useState } from 'react';
import { client, newClientId, ok } from '../api-client.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { type Language, useI18n } from '../i18n.ts';
import './report-rating.css';

const STRINGS: Record<Language, { ask: string; scores: string[]; thanks: string; failed: string }> = {
  zh: {
    ask: '已结案，您对处理结果满意吗？',
    scores: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
    thanks: '感谢您的评价',
    failed: '评价未能提交，请联网后重试',
  },
  en: {
    ask: 'Closed: are you satisfied with how it was handled?',
    scores: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    thanks: 'Thank you for rating',
    failed: 'The rating was not sent; try again once online',
  },
};

/**
 * The reporter's own rating of a closed report (居民满意度, source 'field'): five large buttons,
 * one tap sends it (POST /api/cases/{id}/evaluations/field); a retry after a dropped answer
 * sends the same client id, so it is counted once. The case becomes evaluated.
 */
export function ReportRating({ reportId, caseNumber, onRated }: { reportId: string; caseNumber: string; onRated: () => void }) {
  const { lang } = useI18n();
  const s = STRINGS[lang];
  const [clientId] = useState(newClientId);
  const [busy, setBusy] = useState(false);

  const rate = async (score: number) => {
    if (busy) return;
    setBusy(true);
    try {
      await ok(client.api.cases[':id'].evaluations.field.$post({ param: { id: reportId }, json: { clientId, score } }));
      showNotice(s.thanks, caseNumber);
      onRated();
    } catch (error) {
      handleError(error, s.failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="fp-rating" data-testid="report-rating">
      <p>{s.ask}</p>
      <div className="fp-rating-buttons">
        {s.scores.map((word, index) => (
          <button
            key={word}
            type="button"
            className="button"
            disabled={busy}
            data-score={index + 1}
            aria-label={`${index + 1} · ${word}`}
            onClick={() => void rate(index + 1)}
          >
            <strong>{index + 1}</strong>
            <small>{word}</small>
          </button>
        ))}
      </div>
    </div>
  );
}
