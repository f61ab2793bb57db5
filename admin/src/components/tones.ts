/**
 * The console's signal colours, dark enough for white text (and as text on white) to pass WCAG AA's 4.5:1:
 * Mantine's darkest palette shades (green-9, orange-9) fall short of it for small text.
 */
export const TONES = {
  good: '#1e6b34',
  busy: '#1c5a96',
  warning: '#8a4500',
  danger: '#b02a2a',
  neutral: '#495057',
} as const;

export type Tone = keyof typeof TONES;
