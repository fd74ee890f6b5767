package dev.cdkdynamodbblueprints.examples.orderslab;

import dev.cdkdynamodbblueprints.DynamoDBBlueprintChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

public final class OrdersLabApp {
    private OrdersLabApp() {
    }

    /** The stack as the TypeScript app creates it: same id, same region. */
    public static OrdersLabStack createStacks(final App app) {
        return new OrdersLabStack(app, "OrdersLab", StackProps.builder()
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region("ap-south-1")
                        .build())
                .build());
    }

    public static void main(final String[] args) {
        App app = new App();
        createStacks(app);
        // cdk-nag 3 packs are validation plugins: any finding fails synthesis.
        Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app));
        app.synth();
    }
}
