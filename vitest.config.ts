import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 1 },
          globalSetup: ['tests/support/global-setup.ts'],
          // Light argon2 parameters for the accounts the fixtures create (see accounts/passwords.ts).
          env: { ZHURNAL_ARGON2_PROFILE: 'test' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: argon2 and two engines keep both busy already.
          maxWorkers: 2,
        },
      },
    ],
  },
});
