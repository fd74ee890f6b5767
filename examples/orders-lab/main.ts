import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createStacks } from './app';
import { DynamoDBBlueprintChecks } from 'cdk-dynamodb-blueprints';

const app = new App();
createStacks(app);
// Checked after synthesis: any unacknowledged finding fails `cdk synth`.
Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app), new AwsSolutionsChecks(app));
app.synth();
