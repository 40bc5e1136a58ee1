/** Hono context variables shared by every capability. */
export interface AppEnv {
  Variables: Record<string, never>;
}
