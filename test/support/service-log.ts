/** One line of the service's JSON log (pino), as far as the fault tests read it. */
export interface LogLine {
  level: number;
  msg?: string;
  context?: string;
  [field: string]: unknown;
}

/** The JSON lines of a service's output; anything else (a stack, a warning) is skipped. */
export function logLines(output: string): LogLine[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** Messages of one logger context, in order. */
export function messagesOf(output: string, context: string): string[] {
  return logLines(output)
    .filter((line) => line.context === context)
    .map((line) => String(line.msg));
}
