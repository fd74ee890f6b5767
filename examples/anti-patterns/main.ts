import { App, Validations } from 'aws-cdk-lib';
import { createStacks } from './app';
import { DynamoDBBlueprintChecks } from 'cdk-dynamodb-blueprints';

const app = new App();
createStacks(app);
// Every construct of this app makes a mistake on purpose: `cdk synth` lists them all and fails on the errors.
Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app));
app.synth();
