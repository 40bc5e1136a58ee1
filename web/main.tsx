// The stylesheets of the app shell, in cascade order (a later one overrides an earlier one of equal
// specificity: the phone rules come after what they adapt).
import './styles.css';
import './command/search-box.css';
import './command/level-indicator.css';
import './command/map-legend.css';
import './command/duty-board.css';
import './command/area-panel.css';
import './ui/toasts.css';
import './command/phone-sheet.css';
import './ui/controls.css';
import './auth/login-page.css';
import './auth/user-menu.css';
import './admin/admin-pages.css';
import './ui/dialogs.css';
import './ui/phone-header.css';
import './command/phone-duty-board.css';
import './offline/update-banner.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { installUiFonts } from './fonts.ts';
import { keepServiceWorkerUpdated } from './offline/app-updates.ts';
import { queryClient } from './query-client.ts';

installUiFonts();
keepServiceWorkerUpdated();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
