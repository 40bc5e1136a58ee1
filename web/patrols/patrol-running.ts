/**
 * Whether `account` has a patrol recording on this phone, asked without loading the recorder: the
 * field page loads it only then (or when the patrol tab opens), so its first load stays light.
 */
const RUNNING_KEY = 'gcc-patrol-running';

export function patrolRunning(account: string): boolean {
  return localStorage.getItem(RUNNING_KEY) === account;
}

export function markPatrolRunning(account: string | null): void {
  if (account) localStorage.setItem(RUNNING_KEY, account);
  else localStorage.removeItem(RUNNING_KEY);
}
