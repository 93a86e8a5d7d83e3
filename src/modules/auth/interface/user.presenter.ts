import type { UserProfile } from '../domain/user';
import type { UserDto } from './dto/user.dto';

export function presentUser(user: UserProfile): UserDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    person: user.person,
    state: user.state,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
