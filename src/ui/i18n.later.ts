/**
 * Imported by each panel that loads later: its English strings join the first load's (a panel's
 * chunk brings them; the first screen does without them).
 */
import { addEnglish } from './i18n';
import { enLater } from './i18n.en.later';

addEnglish(enLater);
