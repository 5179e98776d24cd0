import { Controller, Get, Module, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { AccessAudit } from './access-audit';
import { Public, RequireScope } from './scopes';

@Controller('declared')
@RequireScope('read')
class DeclaredController {
  @Get()
  list() {}

  @Post()
  @RequireScope('admin')
  change() {}

  @Get('probe')
  @Public()
  probe() {}
}

@Controller('forgotten')
class ForgottenController {
  @Get()
  @RequireScope('read')
  read() {}

  @Post()
  write() {}
}

async function boot(controllers: (new () => unknown)[]) {
  @Module({ imports: [DiscoveryModule], controllers, providers: [AccessAudit] })
  class Root {}
  const moduleRef = await Test.createTestingModule({ imports: [Root] }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('AccessAudit', () => {
  it('boots when every route declares its access at method or controller level', async () => {
    await expect(boot([DeclaredController]).then((m) => m.close())).resolves.toBeUndefined();
  });

  it('refuses to boot and names the route that declares nothing', async () => {
    await expect(boot([DeclaredController, ForgottenController])).rejects.toThrow(
      'Routes without @RequireScope or @Public: ForgottenController.write',
    );
  });
});
