import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import {
  CERTIFICATE_CODES,
  CERTIFICATES,
  type Certificate,
  EXAM_STATUS_CODES,
  EXAM_STATUSES,
  type ExamStatus,
} from '../../api/vocabulary/workforce.ts';
import { handleError, showNotice } from '../handle-error.ts';
import { addTraining, type GridWorker, setCredential } from './workforce-api.ts';
import { useWorkforceStrings } from './workforce-strings.ts';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A grid worker's certificate and exam (edited), and a form to record a training they completed. */
export function WorkerDrawer({ worker, onClose }: { worker: GridWorker; onClose: () => void }) {
  const { lang, s } = useWorkforceStrings();
  const queryClient = useQueryClient();
  const [certificate, setCertificate] = useState<Certificate>(worker.certificate);
  const [certificateNumber, setCertificateNumber] = useState(worker.certificateNumber ?? '');
  const [certifiedOn, setCertifiedOn] = useState(worker.certifiedOn ?? '');
  const [examStatus, setExamStatus] = useState<ExamStatus>(worker.examStatus);
  const [examYear, setExamYear] = useState(worker.examYear ? String(worker.examYear) : '');
  const [course, setCourse] = useState('');
  const [hours, setHours] = useState('8');
  const [completedOn, setCompletedOn] = useState(today);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<unknown>, notice: string) => {
    setBusy(true);
    try {
      await work();
      showNotice(notice, worker.name);
      await queryClient.invalidateQueries({ queryKey: ['workforce'] });
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };
  const certified = certificate !== 'none';
  const saveCredential = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () =>
        setCredential(worker.personId, {
          certificate,
          certificateNumber: certified && certificateNumber.trim() ? certificateNumber.trim() : null,
          certifiedOn: certified && certifiedOn ? certifiedOn : null,
          examStatus,
          examYear: examYear ? Number(examYear) : null,
        }),
      s.saved,
    );
  };
  const recordTraining = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await addTraining(worker.personId, { course: course.trim(), hours: Number(hours), completedOn });
      setCourse('');
    }, s.trainingAdded);
  };

  return (
    <aside className="workforce-drawer" aria-label={worker.name} data-testid="workforce-drawer">
      <header>
        <h3>
          {worker.name} <small>{worker.gridName ?? worker.gridCode}</small>
        </h3>
        <button type="button" className="button" onClick={onClose}>
          {s.close}
        </button>
      </header>
      <form className="workforce-form" onSubmit={saveCredential}>
        <h4>{s.credential}</h4>
        <label className="field">
          <span>{s.certificate}</span>
          <select
            value={certificate}
            onChange={(event) => setCertificate(event.target.value as Certificate)}
            data-testid="certificate"
          >
            {CERTIFICATE_CODES.map((code) => (
              <option key={code} value={code}>
                {labelOf(CERTIFICATES, lang, code)}
              </option>
            ))}
          </select>
        </label>
        {certified && (
          <>
            <label className="field">
              <span>{s.certificateNumber}</span>
              <input value={certificateNumber} maxLength={40} onChange={(event) => setCertificateNumber(event.target.value)} />
            </label>
            <label className="field">
              <span>{s.certifiedOn}</span>
              <input type="date" value={certifiedOn} max={today()} onChange={(event) => setCertifiedOn(event.target.value)} />
            </label>
          </>
        )}
        <label className="field">
          <span>{s.exam}</span>
          <select value={examStatus} onChange={(event) => setExamStatus(event.target.value as ExamStatus)}>
            {EXAM_STATUS_CODES.map((code) => (
              <option key={code} value={code}>
                {labelOf(EXAM_STATUSES, lang, code)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{s.examYear}</span>
          <input type="number" min={2000} max={2100} value={examYear} onChange={(event) => setExamYear(event.target.value)} />
        </label>
        <button type="submit" className="button primary" disabled={busy} data-testid="save-credential">
          {s.save}
        </button>
      </form>
      <form className="workforce-form" onSubmit={recordTraining}>
        <h4>{s.training}</h4>
        <label className="field">
          <span>{s.course}</span>
          <input value={course} required maxLength={100} onChange={(event) => setCourse(event.target.value)} />
        </label>
        <label className="field">
          <span>{s.trainingHours}</span>
          <input
            type="number"
            min={0.5}
            max={1000}
            step={0.5}
            required
            value={hours}
            onChange={(event) => setHours(event.target.value)}
          />
        </label>
        <label className="field">
          <span>{s.completedOn}</span>
          <input
            type="date"
            required
            max={today()}
            value={completedOn}
            onChange={(event) => setCompletedOn(event.target.value)}
          />
        </label>
        <button type="submit" className="button" disabled={busy || !course.trim()}>
          {s.addTraining}
        </button>
      </form>
    </aside>
  );
}
