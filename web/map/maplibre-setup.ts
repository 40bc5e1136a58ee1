import 'maplibre-gl/dist/maplibre-gl.css';
import './maplibre-overrides.css';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

// Imported for its effect by every module that makes a map, so that MapLibre (its code, its
// worker and its stylesheet) arrives with the first map and not with the app: the login and
// field pages never load it. After `vite build` MapLibre 6 cannot find its worker by itself:
// point it at the emitted file.
setWorkerUrl(workerUrl);
