import { Given, Then, When } from '@cucumber/cucumber';
import type { Comparison, WorkloadKind } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  ensureJetStreamStream,
  jetStreamHolds,
  natsMessageReceived,
  natsPublishes,
  natsRequestAnswered,
  postgresAnswers,
  postgresBackedUp,
  postgresRestored,
  redisAnswersPing,
  redisRefusesUnauthenticated,
  redisStillHolds,
  redisWriteKey,
  runSqlOn,
  usePostgresUser,
  useRedisPassword,
} from '../support/checks/data';

// Wording only: each step hands off to one check in support/checks/data.ts.

// PostgreSQL
Given('the PostgreSQL user {code} with the password in the Secret {code} key {code}', function (this: W, user: string, secret: string, key: string) {
  return usePostgresUser(this, user, secret, key);
});
When('the SQL {code} is run on PostgreSQL at {code}', function (this: W, sql: string, address: string) {
  return runSqlOn(this, sql, address);
});
Then(
  'PostgreSQL at {code} answers the SQL {code} with {comparison} {int} row(s) within {duration}',
  function (this: W, address: string, sql: string, c: Comparison, n: number, within: number) {
    return postgresAnswers(this, address, sql, c, n, within);
  },
);

When('the database {code} of {workload} {code} is backed up with pg_dump', function (this: W, database: string, kind: WorkloadKind, name: string) {
  return postgresBackedUp(this, database, kind, name);
});
When('the backup is restored into the database {code} of {workload} {code}', function (this: W, database: string, kind: WorkloadKind, name: string) {
  return postgresRestored(this, database, kind, name);
});
When(
  'the backup is restored into the database {code} of {workload} {code} in the namespace {code}',
  function (this: W, database: string, kind: WorkloadKind, name: string, namespace: string) {
    return postgresRestored(this, database, kind, name, namespace);
  },
);

// Redis
Given('the Redis password in the Secret {code} key {code}', function (this: W, secret: string, key: string) {
  return useRedisPassword(this, secret, key);
});
Then('Redis at {code} answers PING within {duration}', function (this: W, address: string, within: number) {
  return redisAnswersPing(this, address, within);
});
Then('Redis at {code} refuses unauthenticated commands', function (this: W, address: string) {
  return redisRefusesUnauthenticated(this, address);
});
When('a unique key is written to Redis at {code}', function (this: W, address: string) {
  return redisWriteKey(this, address);
});
Then('Redis at {code} still holds that key within {duration}', function (this: W, address: string, within: number) {
  return redisStillHolds(this, address, within);
});

// NATS and JetStream
Then(
  'a message published to the NATS subject {code} at {code} is received within {duration}',
  function (this: W, subject: string, address: string, within: number) {
    return natsMessageReceived(this, subject, address, within);
  },
);
Then('a request to the NATS subject {code} at {code} is answered within {duration}', function (this: W, subject: string, address: string, within: number) {
  return natsRequestAnswered(this, subject, address, within);
});
When('{int} message(s) is/are published to the NATS subject {code} at {code}', function (this: W, count: number, subject: string, address: string) {
  return natsPublishes(this, count, subject, address);
});
Given(
  'the JetStream stream {code} at {code} exists or is created for the subjects {code}',
  function (this: W, stream: string, address: string, subjects: string) {
    return ensureJetStreamStream(this, stream, address, subjects);
  },
);
Then(
  'the JetStream stream {code} at {code} holds {comparison} {int} message(s) within {duration}',
  function (this: W, stream: string, address: string, c: Comparison, n: number, within: number) {
    return jetStreamHolds(this, stream, address, c, n, within);
  },
);
