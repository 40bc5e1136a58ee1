import { beforeAll, describe, expect, it } from 'vitest';
import { okJson, signedInBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;

beforeAll(async () => {
  ({ app } = await testApp());
});

describe('who is signed in names a cadre’s department', () => {
  // The dispatch dialog offers a cadre only the task lines its department owns (web/tasks/dispatch-dialog.tsx).
  it.each([
    ['t-cadre', 'D01'],
    ['t-ziran', 'D02'],
    ['t-county', null],
  ])('%s: %s', async (username, departmentCode) => {
    const browser = await signedInBrowser(app, username);
    const { me } = await okJson<{ me: { departmentCode: string | null } }>(browser.get('/api/auth/me'), 'me');
    expect(me.departmentCode).toBe(departmentCode);
  });
});
