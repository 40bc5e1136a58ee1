import { useQuery } from '@tanstack/react-query';
import { areaByCodeQuery, configQuery } from '../areas/area-queries.ts';
import { chainCodes } from './review-format.ts';
import { useReviewStrings } from './review-strings.ts';

/** An area's name: the county's from the configuration, the others' through search (no personal data). */
export function useAreaName(code: string): string {
  const county = useQuery(configQuery()).data?.county;
  const found = useQuery({ ...areaByCodeQuery(code), enabled: code.length > 6 }).data;
  if (code.length === 6) return county?.name ?? code;
  return found?.name ?? code;
}

function Crumb({ code, current, onNavigate }: { code: string; current: boolean; onNavigate: (code: string) => void }) {
  const name = useAreaName(code);
  if (current) return <span aria-current="location">{name}</span>;
  return (
    <button type="button" data-code={code} onClick={() => onNavigate(code)}>
      {name}
    </button>
  );
}

/** County › township › village › grid, from the account's scope down; each level above is a button back up. */
export function ReviewBreadcrumb({
  scopeCode,
  code,
  onNavigate,
}: {
  scopeCode: string;
  code: string;
  onNavigate: (code: string) => void;
}) {
  const { s } = useReviewStrings();
  const chain = chainCodes(scopeCode, code);
  return (
    <nav className="breadcrumb review-breadcrumb" aria-label={s.area} data-testid="review-breadcrumb">
      <ol>
        {chain.map((link, index) => (
          <li key={link}>
            <Crumb code={link} current={index === chain.length - 1} onNavigate={onNavigate} />
          </li>
        ))}
      </ol>
    </nav>
  );
}
