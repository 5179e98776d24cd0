import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { echo, type EchoRequest, FLOOR_PATH, FLOOR_READY_PATH } from './floor-route';

/** The trivial route with nothing else: no guard, interceptor, pipe, middleware or logger of the service's. */
@Controller()
class FloorController {
  @Get(FLOOR_READY_PATH)
  ready() {
    return { ready: true };
  }

  @Post(FLOOR_PATH)
  @HttpCode(200)
  echo(@Body() body: EchoRequest) {
    return echo(body);
  }
}

@Module({ controllers: [FloorController] })
export class FloorModule {}

/** What the service logs at LOG_LEVEL=warn: nothing per request. */
export const FLOOR_LOGGER = ['error', 'warn'] as const;
