import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@bedside/common';
import type { AuthUser, Role } from '../current-user.decorator';
import { SessionResolver } from '../sessions/session-resolver';
import { hashPassword, verifyPassword } from './password-hash';
import { checkPasswordPolicy } from './password-policy';
import type { CreateUserDto, UpdateUserDto } from './user.dto';
import { UserRepository, type User } from './user.repository';

/** Roles a supervisor may give and manage: their own staff, never their peers or administrators. */
const SUPERVISED: readonly Role[] = ['operator', 'installer'];

/**
 * The user lifecycle. Organisation ownership is enforced by the route declarations; this adds
 * what depends on the two people involved: supervisors manage operators and installers only,
 * and nobody locks themselves out. Every change that reduces a user's rights ends their live
 * sessions at once.
 */
@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionResolver,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateUserDto, me: AuthUser): Promise<User> {
    this.checkGrantable(me, dto.role);
    const organisationId = me.organisationId ?? dto.organisationId ?? null;
    if (!organisationId && dto.role !== 'admin')
      throw new DomainError('VALIDATION_FAILED', 'organisationId is required for this role', {
        field: 'organisationId',
      });
    checkPasswordPolicy(dto.password, dto);
    return this.users.create({
      organisationId,
      username: dto.username,
      displayName: dto.displayName,
      role: dto.role,
      passwordHash: await hashPassword(dto.password),
    });
  }

  async update(id: string, dto: UpdateUserDto, me: AuthUser): Promise<User> {
    if (dto.displayName === undefined && dto.role === undefined)
      throw new DomainError('VALIDATION_FAILED', 'give displayName or role to change', { field: 'body' });
    const target = await this.manageable(id, me);
    if (dto.role !== undefined && dto.role !== target.role) {
      this.checkGrantable(me, dto.role);
      if (target.id === me.userId) throw new DomainError('FORBIDDEN', 'you cannot change your own role');
      if (dto.role !== 'admin' && target.organisationId === null)
        throw new DomainError(
          'VALIDATION_FAILED',
          'a platform administrator has no organisation; create a user in an organisation instead',
          { field: 'role' },
        );
    }
    const updated = await this.users.update(id, dto);
    if (dto.role !== undefined && dto.role !== target.role) await this.sessions.endAllOf(id);
    return updated;
  }

  async setDisabled(id: string, disabled: boolean, me: AuthUser): Promise<User> {
    await this.manageable(id, me, disabled ? 'disable' : undefined);
    const user = await this.users.setDisabled(id, disabled ? this.now() : null);
    if (disabled) await this.sessions.endAllOf(id);
    return user;
  }

  async resetPassword(id: string, password: string, me: AuthUser): Promise<void> {
    const target = await this.manageable(id, me);
    checkPasswordPolicy(password, target);
    await this.users.setPassword(id, await hashPassword(password), this.now());
    await this.sessions.endAllOf(id);
  }

  async remove(id: string, me: AuthUser): Promise<void> {
    await this.manageable(id, me, 'delete');
    await this.users.anonymise(id, this.now());
    await this.sessions.endAllOf(id);
  }

  /** Keeps the current session; every other session of the user ends. */
  async changeOwnPassword(
    me: AuthUser,
    currentPassword: string,
    newPassword: string,
    currentToken: string | undefined,
  ): Promise<void> {
    if (!me.userId)
      throw new DomainError('VALIDATION_FAILED', "the bootstrap administrator's password is set with ADMIN_PASSWORD", {
        field: 'newPassword',
      });
    if (!(await verifyPassword(currentPassword, await this.users.passwordHashOf(me.userId)))) {
      throw new DomainError('VALIDATION_FAILED', 'currentPassword is wrong', { field: 'currentPassword' });
    }
    if (newPassword === currentPassword)
      throw new DomainError('VALIDATION_FAILED', 'newPassword must differ from the current one', {
        field: 'newPassword',
      });
    checkPasswordPolicy(newPassword, me, 'newPassword');
    await this.users.setPassword(me.userId, await hashPassword(newPassword), this.now());
    await this.sessions.endAllOf(me.userId, currentToken);
  }

  private async manageable(id: string, me: AuthUser, selfRefused?: 'disable' | 'delete'): Promise<User> {
    const target = await this.users.get(id);
    if (me.role === 'supervisor' && !SUPERVISED.includes(target.role))
      throw new DomainError('FORBIDDEN', 'supervisors manage operators and installers only');
    if (selfRefused && target.id === me.userId)
      throw new DomainError('FORBIDDEN', `you cannot ${selfRefused} yourself`);
    return target;
  }

  private checkGrantable(me: AuthUser, role: Role): void {
    if (me.role === 'supervisor' && !SUPERVISED.includes(role))
      throw new DomainError('FORBIDDEN', 'supervisors may give the roles operator and installer only');
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}
