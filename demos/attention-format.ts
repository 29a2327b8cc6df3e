/** The attention page's number formats: bytes in binary units, fixed digits, one-digit scientific; '–' for a missing value. */
import { formatBinaryBytes } from './attention-io';

export const bytes = (b: number | null) => (b === null ? '–' : formatBinaryBytes(b));
export const fmt = (x: number | null, digits: number) => (x === null ? '–' : x.toFixed(digits));
export const sci = (x: number | null) => (x === null ? '–' : x.toExponential(1));
