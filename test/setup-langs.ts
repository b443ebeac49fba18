// Every test file starts with all catalogues loaded: the CLI loads only the language it runs in (src/cli/main.ts),
// tests render the same views in all three. The lazy loading itself is tested on the built CLI
// (test/cli/bundle-imports.test.ts).
import { loadLang, LANGS } from '../src/i18n/index.js';

for (const lang of LANGS) await loadLang(lang);
