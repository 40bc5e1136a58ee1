import { useEffect } from 'react';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { TopBar } from '../command/top-bar.tsx';
import { useReviewTheme } from '../review/review-theme.ts';
import { mapUrl, taskPath } from '../routes.ts';
import { TaskListPage } from './task-list-page.tsx';
import { TaskMonitor } from './task-monitor.tsx';
import { useTasksStrings } from './tasks-strings.ts';
import { useTaskLiveInvalidation } from './use-task-live.ts';
import '../ui/desk.css';
import './tasks.css';

/**
 * 条线任务: the tasks of the reader's scope (`/tasks`) and the monitor of one (`/tasks/<id>`). A
 * desk page, light or dark like the review (the same remembered choice); the lists and counts
 * follow the live stream.
 */
export function TasksView({ taskId }: { taskId: string | null }) {
  const { s } = useTasksStrings();
  const { can } = useSession();
  const [theme, toggleTheme] = useReviewTheme();
  const allowed = can('tasks.view');
  useTaskLiveInvalidation(allowed);

  useEffect(() => {
    document.title = s.title;
  }, [s.title]);

  return (
    <div className="tasks-view desk-view" data-theme={theme} data-testid="tasks-page">
      <TopBar synthetic>
        <nav className="tasks-nav desk-nav">
          <AppLink href={mapUrl()} className="button">
            {s.backToMap}
          </AppLink>
          {taskId && (
            <AppLink href={taskPath()} className="button" data-testid="back-to-tasks">
              {s.backToList}
            </AppLink>
          )}
          <h2>{taskId ? s.monitor : s.title}</h2>
          <button
            type="button"
            className="button small tasks-theme"
            onClick={toggleTheme}
            aria-label={s.themeSwitch}
            data-testid="tasks-theme"
          >
            {theme === 'light' ? s.themeDark : s.themeLight}
          </button>
        </nav>
      </TopBar>
      <main className="tasks-main desk-main">
        {!allowed ? (
          <p className="empty-note">{s.notFound}</p>
        ) : taskId ? (
          <TaskMonitor key={taskId} taskId={taskId} theme={theme} />
        ) : (
          <TaskListPage />
        )}
      </main>
    </div>
  );
}
