// <App>: the live view's lines (liveLines(), src/ui/live-lines.ts) painted with Ink, for Ink-hosted screens and the
// frame tests. The live view on a TTY paints the same lines without Ink (paintFrame(), src/ui/interactive.ts).
import React from 'react';
import { Box, Text } from 'ink';
import { liveLines, type AppProps } from './live-lines.js';

export { liveLines, plainLines, type AppProps, type Line, type Seg } from './live-lines.js';

export function App(props: AppProps) {
  const lines = liveLines(props);
  const color = props.color;
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i}>
          {l.length === 0
            ? ' '
            : l.map((s, k) => (
                <Text key={k} color={color ? s.color : undefined} bold={s.bold} dimColor={color ? s.dim : false}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
