// 简体中文: the fix engine and planners (src/fix: proposals, harden steps, engine log lines, FixError messages) (fix.en.ts is the source; every key, same placeholders).
import type { FixKey } from './fix.en.js';

export const FIX_ZH_CN: Record<FixKey, string> = {};
