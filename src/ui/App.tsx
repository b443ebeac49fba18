// The interactive view: a pure function of run state. Finished checks go to <Static> (printed once, scroll away),
// running ones stay live with a spinner; the verdict, predicted error, evidence, certificate chain and fixes follow.
import React, { useEffect, useState } from 'react';
import { Box, Static, Text } from 'ink';
import type { CheckRun, CheckStatus, RunState } from '../core/types.js';
import type { Report, ReportFinding } from '../core/report.js';
import { GLYPH, RISK_LABEL, clip, formatMs } from './format.js';
import { chainRows, type ChainRow } from './chain.js';
import { sanitizeLine } from '../text/sanitize.js';

// Untrusted text (check summaries, certificate names, cluster data) is shown through L(): control characters and
// newlines become visible escapes, so nothing reaches the terminal that could move the cursor or forge a line.
const L = (s: string | undefined) => sanitizeLine(String(s ?? ''));

export interface AppProps {
  state: RunState;
  report?: Report;
  verbose: boolean;
  columns: number;
  color: boolean;
  /** Keys offered once the run is done (e.g. "[f] fix  [r] re-run  [e] export  [v] verbose  [q] quit"). */
  hint?: string;
  /** A status line (export written, fix started...). */
  message?: string;
  /** Frozen spinner frame for snapshots. */
  spinnerFrame?: number;
  /** Ids of finished checks in the order they finished (append-only, as <Static> requires). */
  doneOrder?: string[];
}

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const TONE: Record<CheckStatus, string | undefined> = {
  pending: 'gray',
  running: 'cyan',
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  skipped: 'gray',
  crash: 'magenta',
  cancelled: 'gray',
};

function Spinner({ frozen }: { frozen?: number }) {
  const [i, setI] = useState(frozen ?? 0);
  useEffect(() => {
    if (frozen !== undefined) return;
    const t = setInterval(() => setI((x) => (x + 1) % SPIN.length), 80);
    return () => clearInterval(t);
  }, [frozen]);
  return <Text color="cyan">{SPIN[i]}</Text>;
}

function C({ color, on, children, bold, dim }: { color?: string; on: boolean; children: React.ReactNode; bold?: boolean; dim?: boolean }) {
  return (
    <Text color={on ? color : undefined} bold={bold} dimColor={on ? dim : false}>
      {children}
    </Text>
  );
}

export function CheckLine({
  run,
  width,
  color,
  verbose,
  now,
  frozen,
}: {
  run: CheckRun;
  width: number;
  color: boolean;
  verbose: boolean;
  now?: number;
  frozen?: number;
}) {
  const idW = Math.min(18, Math.max(10, Math.floor(width / 4)));
  const dur =
    run.status === 'running' && run.startedAt && now
      ? formatMs(now - run.startedAt)
      : run.status === 'skipped'
        ? ''
        : formatMs(run.durationMs);
  const room = Math.max(8, width - idW - dur.length - 6);
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={2}>
          {run.status === 'running' ? (
            <Spinner frozen={frozen} />
          ) : (
            <C on={color} color={TONE[run.status]}>
              {GLYPH[run.status]}
            </C>
          )}
        </Box>
        <Box width={idW + 1}>
          <Text>{clip(L(run.id), idW)}</Text>
        </Box>
        <Box flexGrow={1}>
          <Text>{clip(L(run.summary ?? (run.status === 'running' ? run.title : '')), room)}</Text>
        </Box>
        <C on={color} dim>
          {dur ? ` ${dur}` : ''}
        </C>
      </Box>
      {verbose &&
        run.evidence.map((e, i) => (
          <Box key={i} paddingLeft={idW + 3}>
            <C on={color} dim>
              {clip(L(e), Math.max(10, width - idW - 4))}
            </C>
          </Box>
        ))}
    </Box>
  );
}

function ChainTree({ rows, width, color }: { rows: ChainRow[]; width: number; color: boolean }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <C on={color} dim>
        certificate chain as sent:
      </C>
      {rows.map((r, i) => (
        <Box key={i} flexDirection="column" paddingLeft={2 + r.depth * 2}>
          <Text>
            {r.depth > 0 ? '└─ ' : ''}
            <C on={color} color={r.failing ? 'red' : undefined} bold={r.failing}>
              {clip(L(r.subject), width - 6 - r.depth * 2)}
            </C>
            {r.failing ? (
              <C on={color} color="red">
                {'  ✗'}
              </C>
            ) : null}
          </Text>
          <Box paddingLeft={r.depth > 0 ? 3 : 0}>
            <C on={color} dim>
              {clip(`issuer ${L(r.issuer)}`, width - 8 - r.depth * 2)}
            </C>
          </Box>
          <Box paddingLeft={r.depth > 0 ? 3 : 0}>
            <C on={color} color={r.expired ? 'red' : r.expiringSoon ? 'yellow' : 'green'}>
              {r.bar}
            </C>
            <C on={color} dim>{` ${r.validity}`}</C>
          </Box>
          {r.sans ? (
            <Box paddingLeft={r.depth > 0 ? 3 : 0}>
              <C on={color} dim>
                {clip(`SANs ${L(r.sans)}`, width - 8 - r.depth * 2)}
              </C>
            </Box>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}

function FindingView({ f, width, color, verbose }: { f: ReportFinding; width: number; color: boolean; verbose: boolean }) {
  const bad = f.severity === 'critical' || f.severity === 'error';
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <C on={color} color={bad ? 'red' : f.severity === 'warning' ? 'yellow' : 'green'}>
          {bad ? '✗' : f.severity === 'warning' ? '!' : '✓'}{' '}
        </C>
        <C on={color} bold>
          {L(f.code)}
        </C>
        {` — ${L(f.title)}${f.host ? ` [${L(f.host)}]` : ''}`}
      </Text>
      <Box paddingLeft={2} width={width}>
        <Text>{L(f.summary)}</Text>
      </Box>
      {f.predictedRuntimeError ? (
        <Box flexDirection="column" paddingLeft={2} width={width}>
          <C on={color} dim>
            containerd will report:
          </C>
          <Box paddingLeft={2}>
            <C on={color} color="red">
              {L(f.predictedRuntimeError)}
            </C>
          </Box>
        </Box>
      ) : null}
      {f.nextErrors?.length ? (
        <Box flexDirection="column" paddingLeft={2} width={width}>
          <C on={color} dim>
            once that is fixed, the next error will be:
          </C>
          {f.nextErrors.map((n, i) => (
            <Box key={i} paddingLeft={2}>
              <Text>{L(n)}</Text>
            </Box>
          ))}
        </Box>
      ) : null}
      {(verbose ? f.evidence : f.evidence.slice(0, 3)).map((e, i) => (
        <Box key={i} paddingLeft={2} width={width}>
          <C on={color} dim>{`• ${L(e)}`}</C>
        </Box>
      ))}
      {f.fixes.length > 0 ? (
        <Box flexDirection="column" paddingLeft={2} width={width}>
          <C on={color} dim>
            fixes, safest first:
          </C>
          {f.fixes.map((x, i) => {
            const risky = x.risk === 'disables-verification' || x.risk === 'destructive';
            return (
              <Box key={x.id} flexDirection="column" paddingLeft={2}>
                <Text>
                  {`${i + 1}. `}
                  <C
                    on={color}
                    color={risky ? 'red' : x.risk === 'safe' ? 'green' : 'yellow'}
                  >{`[${RISK_LABEL[x.risk]}${x.restartRequired ? ', restarts containerd' : ''}]`}</C>
                  {` ${L(x.title)}`}
                </Text>
                {risky ? (
                  <Box paddingLeft={3}>
                    <C
                      on={color}
                      color="red"
                    >{`⚠ turns off a protection for ${f.host ? L(f.host) : 'this registry'}: prefer the fixes above`}</C>
                  </Box>
                ) : null}
              </Box>
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
}

export function App(props: AppProps) {
  const { state, report, verbose, color } = props;
  // One column short of the terminal: a line that fills the last column makes terminals wrap and breaks redraws.
  const width = Math.max(40, props.columns - 1);
  const done = state.checks.filter((c) => c.status !== 'pending' && c.status !== 'running');
  // <Static> only ever appends: every finished check goes there, in completion order.
  const byId = new Map(done.map((c) => [c.id, c]));
  const shownDone = props.doneOrder ? props.doneOrder.map((id) => byId.get(id)).filter((c): c is CheckRun => c !== undefined) : done;
  const running = state.checks.filter((c) => c.status === 'running');
  const pending = state.checks.filter((c) => c.status === 'pending').length;
  const now = Date.now();
  const target = L(state.target.image ? `image ${state.target.image.normalized}` : `registry ${state.target.registry.name}`);
  const rows = report ? chainRows(report, state, now) : [];
  return (
    <Box flexDirection="column" width={width}>
      <Static items={[{ key: 'header' }, ...shownDone.map((c) => ({ key: c.id, run: c }))]}>
        {(item) =>
          'run' in item && item.run ? (
            <CheckLine key={item.key} run={item.run} width={width} color={color} verbose={verbose} />
          ) : (
            <Box key="header" marginBottom={1}>
              <Text>
                <C on={color} bold>
                  regdoctor
                </C>
                {` ${clip(target, width - 10)}`}
              </Text>
            </Box>
          )
        }
      </Static>
      {running.map((r) => (
        <CheckLine key={r.id} run={r} width={width} color={color} verbose={false} now={now} frozen={props.spinnerFrame} />
      ))}
      {!report && pending > 0 ? <C on={color} dim>{`  ${pending} waiting`}</C> : null}
      {report ? (
        <Box flexDirection="column">
          {report.findings
            .filter((f) => verbose || f.severity !== 'info')
            .map((f, i) => (
              <FindingView key={`${f.code}-${i}`} f={f} width={width} color={color} verbose={verbose} />
            ))}
          {rows.length > 0 ? <ChainTree rows={rows} width={width} color={color} /> : null}
          <Box marginTop={1}>
            <Text>
              <C on={color} color={report.verdict.code === 'healthy' ? 'green' : 'red'} bold>
                {`${report.verdict.code === 'healthy' ? '✓' : '✗'} verdict: ${L(report.verdict.code)}`}
              </C>
              {` — ${L(report.verdict.title)}`}
            </Text>
          </Box>
          <C on={color} dim>{`  ${report.checks.length} checks in ${formatMs(report.durationMs)}`}</C>
          {props.message ? <Text>{L(props.message)}</Text> : null}
          {props.hint ? (
            <C on={color} dim>
              {props.hint}
            </C>
          ) : null}
        </Box>
      ) : null}
    </Box>
  );
}
