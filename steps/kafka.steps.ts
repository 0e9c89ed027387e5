import { Given, Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { ensureTopic, kafkaBrokers, kafkaGroupLag, kafkaListensOn, kafkaReceives, kafkaRoundTrip, kafkaTopicExists } from '../support/checks/kafka';

// Wording only: each step hands off to one check in support/checks/kafka.ts.

Given('the Kafka topic {code} exists or is created', function (this: W, topic: string) {
  return ensureTopic(this, topic);
});
Then('Kafka has {comparison} {int} broker(s)', function (this: W, c: Comparison, n: number) {
  return kafkaBrokers(this, c, n);
});
Then('Kafka brokers advertise port {int}', function (this: W, port: number) {
  return kafkaListensOn(this, port);
});
Then('the Kafka topic {code} exists', function (this: W, topic: string) {
  return kafkaTopicExists(this, topic);
});
Then('a message sent to Kafka topic {code} is consumed within {duration}', function (this: W, topic: string, within: number) {
  return kafkaRoundTrip(this, topic, within);
});
Then(
  'Kafka topic {code} receives {comparison} {int} new message(s) within {duration}',
  function (this: W, topic: string, c: Comparison, n: number, within: number) {
    return kafkaReceives(this, topic, c, n, within);
  },
);
Then(
  'Kafka consumer group {code} lags {comparison} {int} message(s) on topic {code}',
  function (this: W, group: string, c: Comparison, n: number, topic: string) {
    return kafkaGroupLag(this, group, topic, c, n);
  },
);
