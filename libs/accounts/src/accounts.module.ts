import { APP_CONFIG, AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { LoginThrottleService } from './auth/login-throttle.service';
import { InvitesRepository } from './invites/invites.repository';
import { InvitesService } from './invites/invites.service';
import { UsersRepository } from './users/users.repository';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const secretKey = createSecretKey(Buffer.from(config.jwtSecret));
        return {
          // A KeyObject, not the string: jsonwebtoken otherwise tries to parse the string as a PEM
          // public key on every verify, and the exception it throws costs ~1 ms of CPU per request.
          secretOrKeyProvider: () => secretKey,
          signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  providers: [AuthService, AuthGuard, InvitesRepository, InvitesService, LoginThrottleService, UsersRepository],
  exports: [AuthService, AuthGuard, InvitesService, UsersRepository],
})
export class AccountsModule {}
