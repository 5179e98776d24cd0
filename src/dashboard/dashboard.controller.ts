import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/scopes';
import { notFound } from '../common/domain-error';
import { ApiErrors } from '../openapi/errors';
import { ApiTextResult } from '../openapi/operation';
import { dashboardAssets } from './dashboard-assets';

/**
 * The ops dashboard: a static page that polls the public read endpoints. The page and its assets
 * hold no data, so they are public: a browser cannot send a key before the page has asked for one.
 * Every number it shows comes from `read`-scoped endpoints, called with the key the user enters.
 */
@ApiTags('Dashboard')
@Controller()
@Public()
export class DashboardController {
  @Get()
  @ApiOperation({ summary: 'Redirect to the dashboard' })
  @ApiResponse({ status: 302, description: 'To /dashboard', headers: { Location: { schema: { type: 'string' } } } })
  root(@Res() response: Response) {
    response.redirect(302, '/dashboard');
  }

  @Get('dashboard')
  @ApiOperation({
    summary: 'The ops dashboard page',
    description: 'Static; its data comes from the read endpoints, called with the key the user enters.',
  })
  @ApiTextResult(200, 'The page', ['text/html'])
  page(@Res() response: Response) {
    this.send(response, 'index.html');
  }

  @Get('dashboard/assets/:file')
  @ApiOperation({ summary: 'A dashboard asset (script, style sheet, chart library)' })
  @ApiParam({ name: 'file', description: 'Asset name, e.g. app.js', schema: { type: 'string' } })
  @ApiTextResult(200, 'The asset', ['text/javascript', 'text/css', 'text/html'])
  @ApiErrors(404)
  asset(@Param('file') file: string, @Res() response: Response) {
    this.send(response, file);
  }

  private send(response: Response, file: string) {
    const asset = Object.hasOwn(dashboardAssets, file) ? dashboardAssets[file] : undefined;
    if (!asset) throw notFound('dashboard_asset_not_found', `no dashboard asset named ${file}`);
    // no-cache: the browser revalidates (ETag from sendFile), so a new build shows at once.
    response.setHeader('Cache-Control', 'no-cache');
    response.type(asset.contentType);
    response.sendFile(asset.path, (error) => {
      if (!error || response.headersSent) return;
      response.status(404).json({ error: { code: 'dashboard_asset_missing', message: `${file} is missing` } });
    });
  }
}
