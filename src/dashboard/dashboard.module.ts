import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** API role only: the built-in dashboard page (see README, Dashboard). */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
