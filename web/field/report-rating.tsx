import { useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { type Language, useI18n } from '../i18n.ts';
import { addRating, useRatingOf } from './rating-outbox.ts';
import './report-rating.css';

const STRINGS: Record<Language, { ask: string; scores: string[]; thanks: string; waiting: string; refused: string }> = {
  zh: {
    ask: '已结案，您对处理结果满意吗？',
    scores: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
    thanks: '感谢您的评价',
    waiting: '评价已保存，联网后自动发送',
    refused: '评价未被接受：{message}',
  },
  en: {
    ask: 'Closed: are you satisfied with how it was handled?',
    scores: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    thanks: 'Thank you for rating',
    waiting: 'Rating saved; sent when the network allows',
    refused: 'The rating was refused: {message}',
  },
};

/**
 * The reporter's own rating of a closed report (居民满意度, source 'field'): five large buttons,
 * one tap puts it in the field outbox (rating-outbox.ts), which sends it
 * (POST /api/cases/{id}/evaluations/field) when the network allows, with the phone's client id,
 * so it is counted once. The case becomes evaluated.
 */
export function ReportRating({ reportId, caseNumber, onRated }: { reportId: string; caseNumber: string; onRated: () => void }) {
  const { lang } = useI18n();
  const { me } = useSession();
  const s = STRINGS[lang];
  const [busy, setBusy] = useState(false);
  const rating = useRatingOf(me.username, reportId);
  const state = rating?.state;

  // Thanked once, when the rating reaches the server while the card is shown.
  const before = useRef(state);
  useEffect(() => {
    const previous = before.current;
    before.current = state;
    if (state !== 'sent' || previous === 'sent') return;
    showNotice(s.thanks, caseNumber);
    onRated();
  }, [state, s.thanks, caseNumber, onRated]);

  const rate = async (score: number) => {
    if (busy) return;
    setBusy(true);
    try {
      await addRating(me.username, reportId, caseNumber, score);
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  if (rating && rating.state !== 'refused') {
    return (
      <div className="fp-rating" data-testid="report-rating" data-state={rating.state}>
        <p>{rating.state === 'sent' ? s.thanks : s.waiting}</p>
      </div>
    );
  }

  return (
    <div className="fp-rating" data-testid="report-rating">
      <p>{rating?.error ? s.refused.replace('{message}', rating.error) : s.ask}</p>
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
