import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { installUiFonts } from './fonts.ts';
import { keepServiceWorkerUpdated } from './offline/app-updates.ts';

installUiFonts();
keepServiceWorkerUpdated();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
