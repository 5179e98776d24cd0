// Framework floor, NestJS 11 on Fastify (@nestjs/platform-fastify, a devDependency for this bench only).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FLOOR_LOGGER, FloorModule } from './floor.module';
import { floorPort } from './floor-route';

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter(), {
    logger: [...FLOOR_LOGGER],
  });
  await app.listen(floorPort(), '127.0.0.1');
}

void main();
