import { defineParameterType } from '@cucumber/cucumber';
import { DURATION_PATTERN, parseDuration } from './duration';
import { COMPARISON_PATTERN, parseComparison } from './compare';

/** `{duration}`: 500ms, 30s, 2m, 1m30s → milliseconds. */
defineParameterType({ name: 'duration', regexp: DURATION_PATTERN, transformer: (s: string) => parseDuration(s) });

/** `{comparison}`: greater than, at least, less than, at most, equal to, exactly, ... */
defineParameterType({ name: 'comparison', regexp: COMPARISON_PATTERN, transformer: (s: string) => parseComparison(s) });
