import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { CurrentUser, Roles, type AuthUser } from '@bedside/auth';
import { DomainError, notFound } from '@bedside/common';
import { CreateWebhookDto } from './webhook.dto';
import { WebhookRepository } from './webhook.repository';

@ApiTags('integrations')
@Controller('api/webhooks')
@Roles('admin', 'supervisor')
export class WebhooksController {
  constructor(private readonly hooks: WebhookRepository) {}

  /** The signing secret is returned once. */
  @Post()
  async create(@Body() dto: CreateWebhookDto, @CurrentUser() me: AuthUser) {
    const organisationId = me.organisationId ?? dto.organisationId;
    if (!organisationId) throw new DomainError('VALIDATION_FAILED', 'organisationId is required');
    if (me.organisationId && dto.organisationId && dto.organisationId !== me.organisationId) throw notFound('organisation', dto.organisationId);
    const secret = randomBytes(32).toString('base64url');
    const hook = await this.hooks.create({ organisationId, url: dto.url, secret, eventTypes: dto.eventTypes ?? [], createdBy: me.username });
    return { ...hook, secret };
  }

  @Get()
  list(@CurrentUser() me: AuthUser) {
    return this.hooks.list(me.organisationId ?? undefined);
  }

  @Get(':id/deliveries')
  async deliveries(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: AuthUser) {
    await this.own(id, me);
    return this.hooks.deliveries(id, 200);
  }

  @Post(':id/disable')
  async disable(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: AuthUser) {
    await this.own(id, me);
    await this.hooks.setActive(id, false);
    return { id, active: false };
  }

  private async own(id: string, me: AuthUser): Promise<void> {
    const org = await this.hooks.organisationOf(id);
    if (me.organisationId && me.organisationId !== org) throw notFound('webhook', id);
  }
}
