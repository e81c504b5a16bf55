#!/usr/bin/env node
import { sendControlCommand } from '@tandem/control';
import { CTL_USAGE, interpretReload, parseCtlArguments } from './tandemctl-args.js';
import { translateCtlWords } from './ctl-commands.js';
import { parseDrainWords, runDrain } from './ctl-drain.js';
import { answerToJson, renderForTerminal } from './ctl-format.js';

async function main(): Promise<number> {
  const args = parseCtlArguments(process.argv.slice(2), process.env);
  if ('error' in args) {
    process.stderr.write(`tandemctl: ${args.error}\n${CTL_USAGE}`);
    return 2;
  }
  if (args.words[0] === 'drain') {
    const request = parseDrainWords(args.words);
    if ('error' in request) {
      process.stderr.write(`tandemctl: ${request.error}\n`);
      return 2;
    }
    try {
      const { code, report } = await runDrain(request, (line) => sendControlCommand({ kind: 'unix', path: args.socket }, line));
      if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else if (report.error) process.stderr.write(`tandemctl: drain ${report.server}: ${report.error}\n`);
      else process.stdout.write(`${report.server}: draining${request.wait ? `, idle after ${(report.waitedMs / 1000).toFixed(1)} s` : ` (${report.scur} current sessions)`}\n`);
      return code;
    } catch (error) {
      process.stderr.write(`tandemctl: cannot reach tandemd at ${args.socket}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  const command = translateCtlWords(args.words, args.json);
  if ('error' in command) {
    process.stderr.write(`tandemctl: ${command.error}\n`);
    return 2;
  }
  const line = command.line;
  let answer: string;
  try {
    answer = await sendControlCommand({ kind: 'unix', path: args.socket }, line);
  } catch (error) {
    process.stderr.write(`tandemctl: cannot reach tandemd at ${args.socket}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (args.words[0] === 'reload' && args.words.length === 1) {
    const outcome = interpretReload(answer);
    if (args.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
    else {
      for (const message of outcome.messages) process.stderr.write(`${message}\n`);
      process.stdout.write(outcome.ok ? 'reload: configuration applied\n' : 'reload: FAILED, the previous configuration is still running\n');
    }
    return outcome.ok ? 0 : 1;
  }
  if (command.answersJson) {
    // The daemon answered a JSON document, or an error text when the command was refused.
    const body = answer.trimEnd();
    if (!body.startsWith('[') && !body.startsWith('{')) {
      process.stderr.write(`tandemctl: ${body}\n`);
      return 1;
    }
    process.stdout.write(`${body}\n`);
  } else if (args.json) process.stdout.write(`${JSON.stringify(answerToJson(line, answer) ?? { command: line, answer })}\n`);
  else process.stdout.write(process.stdout.isTTY ? renderForTerminal(line, answer) : answer);
  return 0;
}

main().then((code) => process.exit(code));
