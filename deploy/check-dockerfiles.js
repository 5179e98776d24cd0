#!/usr/bin/env node
// What `dockerfile-utils lint` (syntax, flags, arguments) does not check but the images promise:
// multi-stage builds that copy only what runs, a non-root user and a healthcheck in the final
// stage, and the execution providers each image can actually load. Parsed with dockerfile-ast
// (the parser behind dockerfile-utils). Usage (from the repo root): node deploy/check-dockerfiles.js
'use strict';
const fs = require('fs');
const path = require('path');
const { DockerfileParser } = require('dockerfile-ast');

const ROOT = path.resolve(__dirname, '..');
const IMAGES = {
  // No CUDA libraries in the CPU image: asking for cuda first would only log a fallback per model.
  Dockerfile: { providers: 'cpu' },
  'Dockerfile.gpu': { providers: 'cuda,cpu', platform: 'linux/amd64' },
};

function problems(file, expected) {
  const dockerfile = DockerfileParser.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  const froms = dockerfile.getFROMs();
  const instructions = dockerfile.getInstructions();
  const finalFrom = froms[froms.length - 1];
  const finalStage = instructions.filter((i) => i.getRange().start.line > finalFrom.getRange().start.line);
  const of = (stage, keyword) => stage.filter((i) => i.getKeyword() === keyword);
  const found = [];
  if (froms.length < 2) found.push('single stage: build tools and sources would ship in the image');
  for (const copy of of(instructions, 'COPY')) {
    const sources = copy.getArguments().slice(0, -1);
    if (sources.some((a) => a.getValue() === '.'))
      found.push(`line ${copy.getRange().start.line + 1}: COPY . copies the whole context`);
  }
  if (of(finalStage, 'COPY').some((c) => /src|migrations/.test(c.getArgumentsContent()) && !c.getFromFlag())) {
    found.push('final stage copies sources from the context instead of the build stage');
  }
  const user = of(finalStage, 'USER').pop()?.getArgumentsContent();
  if (!user || /^(root|0)(:|$)/.test(user)) found.push(`final stage runs as ${user ?? 'root'}`);
  if (of(finalStage, 'HEALTHCHECK').length === 0) found.push('final stage has no HEALTHCHECK');
  const env = of(finalStage, 'ENV').flatMap((e) => e.getProperties());
  const providers = env.find((p) => p.getName() === 'INFERENCE_PROVIDERS')?.getValue();
  if (providers !== expected.providers) {
    found.push(`INFERENCE_PROVIDERS is ${providers ?? 'unset (default cuda,cpu)'}, expected ${expected.providers}`);
  }
  if (expected.platform) {
    const platform = froms[0].getPlatformFlag()?.getValue();
    if (platform !== expected.platform)
      found.push(`first FROM platform is ${platform ?? 'unpinned'}, expected ${expected.platform}`);
  }
  return found.map((p) => `${file}: ${p}`);
}

const found = Object.entries(IMAGES).flatMap(([file, expected]) => problems(file, expected));
for (const line of found) console.error(line);
if (found.length > 0) process.exit(1);
console.log(`dockerfiles: ok (${Object.keys(IMAGES).join(', ')})`);
