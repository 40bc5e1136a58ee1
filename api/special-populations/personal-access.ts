import type { AuditContext } from '../audit/service.ts';
import { can } from '../auth/permissions.ts';
import type { Queryable } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { type PersonalAccess, personalAccess } from '../special-heatmap/access-service.ts';

/**
 * The reader's personal access to `area`: their role in their scope (grid workers and chiefs), or
 * a live break-the-glass grant of theirs that holds it (commanders, the duty officer); 403 with
 * the way to a grant without either. The register's personal reads all pass here first.
 */
export async function personalAccessTo(owner: Queryable, context: AuditContext, area: string): Promise<PersonalAccess> {
  // Those who keep people by their role may ask for any area: row-level security cuts it to theirs.
  if (can(context.principal.role, 'special.personal')) return { basis: 'role' };
  const access = await personalAccess(owner, context.principal, area);
  if (access) return access;
  throw new AppError(403, 'special_personal_forbidden', {
    zh: '无权查看该区域重点人群的个人信息；紧急情况下可在地图的重点人群热力中申请紧急查看并说明理由',
    en: 'No access to the personal data of this area; in an emergency, break the glass (with a reason) from the map',
  });
}
