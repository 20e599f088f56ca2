/**
 * The twin comparison's code, brought by the twin panel's chunk (TwinCompare.tsx imports this
 * module): a headless run of a lesson and of its twin, which the first screen never needs.
 */
import { compareTwin } from '../lab/headless';
import { installCompareTwin } from './lesson';

installCompareTwin(compareTwin);
