// <App>: the live view's lines (liveLines(), src/ui/live-lines.ts) drawn with Ink. On a TTY the view paints them as
// text while the checks run (paintFrame(), src/ui/interactive.ts) and hands them to <App> once the verdict is drawn.
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
