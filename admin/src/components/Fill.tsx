import { Progress, Stack, Text } from '@mantine/core';
import { TONES } from './tones';

/** How much of a capacity is taken, as numbers and a bar that turns amber, then red, as it fills up. */
export function Fill({ used, capacity, label }: { used: number; capacity: number; label: string }) {
  const percent = capacity > 0 ? Math.min(100, (used / capacity) * 100) : 100;
  const tone = percent >= 90 ? TONES.danger : percent >= 75 ? TONES.warning : TONES.good;
  return (
    <Stack gap={4} miw={120}>
      <Text size="sm">
        {used} / {capacity}
      </Text>
      <Progress value={percent} color={tone} aria-label={`${label}: ${used} of ${capacity}`} size="sm" />
    </Stack>
  );
}
