// Starts the web app: a file of its own (not inline) so the page's content security
// policy can forbid inline scripts.
import init from '/pkg/parcours_client.js';
// The module's start function mounts the app on <body>.
init({ module_or_path: '/pkg/parcours_client_bg.wasm' });
