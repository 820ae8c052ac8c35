import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { Authenticated, CurrentUser, inBody, inPath, scopeOf, type AuthUser } from '@bedside/auth';
import { DomainError } from '@bedside/common';
import { CreateWebhookDto } from './webhook.dto';
import { WebhookRepository } from './webhook.repository';

@ApiTags('integrations')
@Controller('api/webhooks')
export class WebhooksController {
  constructor(private readonly hooks: WebhookRepository) {}

  /** The signing secret is returned once. */
  @Post()
  @Authenticated({ permission: 'webhook.manage', owns: [inBody('organisation', 'organisationId')] })
  async create(@Body() dto: CreateWebhookDto, @CurrentUser() me: AuthUser) {
    const organisationId = me.organisationId ?? dto.organisationId;
    if (!organisationId)
      throw new DomainError('VALIDATION_FAILED', 'organisationId is required', { field: 'organisationId' });
    const secret = randomBytes(32).toString('base64url');
    const hook = await this.hooks.create({
      organisationId,
      url: dto.url,
      secret,
      eventTypes: dto.eventTypes ?? [],
      createdBy: me.username,
    });
    return { ...hook, secret };
  }

  @Get()
  @Authenticated({ permission: 'webhook.read' })
  list(@CurrentUser() me: AuthUser) {
    return this.hooks.list(scopeOf(me));
  }

  @Get(':id/deliveries')
  @Authenticated({ permission: 'webhook.read', owns: [inPath('webhook')] })
  deliveries(@Param('id') id: string) {
    return this.hooks.deliveries(id, 200);
  }

  @Post(':id/disable')
  @Authenticated({ permission: 'webhook.manage', owns: [inPath('webhook')] })
  async disable(@Param('id') id: string) {
    await this.hooks.setActive(id, false);
    return { id, active: false };
  }
}
