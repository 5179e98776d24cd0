// Framework floor, NestJS 11 on Express (@nestjs/platform-express, the service's platform).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FLOOR_LOGGER, FloorModule } from './floor.module';
import { floorPort } from './floor-route';

async function main(): Promise<void> {
  const app = await NestFactory.create(FloorModule, { logger: [...FLOOR_LOGGER] });
  await app.listen(floorPort(), '127.0.0.1');
}

void main();
