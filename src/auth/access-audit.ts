import { Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Access, ACCESS_METADATA } from './scopes';

export interface DeclaredRoute {
  controller: string;
  handler: string;
  method: string;
  access: Access | undefined;
}

/** Every route handler of the application with the access it declares. */
export function declaredRoutes(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector) {
  const routes: DeclaredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller) continue;
    const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const access = reflector.getAllAndOverride<Access>(ACCESS_METADATA, [handler, controller]);
      routes.push({ controller: controller.name, handler: name, method, access });
    }
  }
  return routes;
}

/** Refuses to start when a route does not say which scope it needs (or that it is public). */
@Injectable()
export class AccessAudit implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const undeclared = declaredRoutes(this.discovery, this.scanner, this.reflector).filter((r) => !r.access);
    if (undeclared.length > 0) {
      const names = undeclared.map((r) => `${r.controller}.${r.handler}`).join(', ');
      throw new Error(`Routes without @RequireScope or @Public: ${names}`);
    }
  }
}
