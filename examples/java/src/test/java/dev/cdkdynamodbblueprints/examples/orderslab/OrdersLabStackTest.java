package dev.cdkdynamodbblueprints.examples.orderslab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.cdkdynamodbblueprints.BlueprintTable;
import dev.cdkdynamodbblueprints.DynamoDBBlueprintChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;

/** The Java orders lab: the same table, the same checks as examples/orders-lab in TypeScript. */
class OrdersLabStackTest {
    private static final String GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable";
    private static final String TS_TEMPLATE_ENV = "ORDERS_LAB_TS_TEMPLATE";

    @TempDir
    static Path outdir;

    private static Template template;
    private static CloudAssembly assembly;

    @BeforeAll
    static void synthesize() {
        // As OrdersLabApp.main builds it, rule pack included.
        App app = App.Builder.create().outdir(outdir.toString()).build();
        OrdersLabStack stack = OrdersLabApp.createStacks(app);
        Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app));
        assembly = app.synth();
        template = Template.fromStack(stack);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> globalTables(final Map<String, Object> json) {
        Map<String, Object> resources = (Map<String, Object>) json.get("Resources");
        return resources.entrySet().stream()
                .filter(e -> GLOBAL_TABLE.equals(((Map<String, Object>) e.getValue()).get("Type")))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void oneGlobalTableWithTheCompositeKey() {
        template.resourceCountIs(GLOBAL_TABLE, 1);
        template.hasResourceProperties(GLOBAL_TABLE, Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", "PK", "KeyType", "HASH"),
                        Map.of("AttributeName", "SK", "KeyType", "RANGE"))));
    }

    @Test
    void theIndexInThePropsKeepsItsIncludeProjection() {
        // `projection` is a field of BlueprintGlobalSecondaryIndexProps only: it reaches the
        // construct from Java only if the props are declared with that type.
        template.hasResourceProperties(GLOBAL_TABLE, Map.of(
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(Map.of(
                        "IndexName", "byStatus",
                        "KeySchema", List.of(
                                Map.of("AttributeName", "GSI1PK", "KeyType", "HASH"),
                                Map.of("AttributeName", "GSI1SK", "KeyType", "RANGE")),
                        "Projection", Map.of(
                                "ProjectionType", "INCLUDE",
                                "NonKeyAttributes", List.of("status", "total", "city")))))));
    }

    @Test
    void theIndexAddedAfterConstructionKeepsItsProjection() {
        template.hasResourceProperties(GLOBAL_TABLE, Map.of(
                "GlobalSecondaryIndexes", Match.arrayWith(List.of(Map.of(
                        "IndexName", "byOrderId",
                        "KeySchema", List.of(Map.of("AttributeName", "GSI2PK", "KeyType", "HASH")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY"))))));
    }

    @Test
    void ttlAndStream() {
        template.hasResourceProperties(GLOBAL_TABLE, Map.of(
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "StreamSpecification", Map.of("StreamViewType", "NEW_AND_OLD_IMAGES")));
    }

    @Test
    void theProductionDefaults() {
        template.hasResource(GLOBAL_TABLE, Map.of(
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain",
                "Properties", Match.objectLike(Map.of(
                        "BillingMode", "PAY_PER_REQUEST",
                        "SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS"),
                        "Replicas", List.of(Match.objectLike(Map.of(
                                "Region", "ap-south-1",
                                "DeletionProtectionEnabled", true,
                                "PointInTimeRecoverySpecification", Map.of(
                                        "PointInTimeRecoveryEnabled", true,
                                        "RecoveryPeriodInDays", 35),
                                "SSESpecification", Map.of("KMSMasterKeyId", Match.anyValue()))))))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void theRulePackPassesAndTheAccessPatternReportListsEveryPattern() throws IOException {
        // Any cdk-nag finding fails app.synth(), so reaching here means the pack found nothing.
        String report = Files.readString(Path.of(assembly.getDirectory(), "OrdersLab.LabOrders.access-patterns.md"));
        for (String pattern : List.of("getOrder", "ordersByCustomer", "ordersOfMonth", "ordersByStatus", "orderById")) {
            assertTrue(report.contains("| " + pattern + " |"), pattern + " is not in the report");
        }
        assertTrue(report.contains("| ordersByStatus | byStatus | Query x 10 shards |"));
        assertFalse(report.contains("INVALID"));
    }

    @Test
    void aFindingFailsSynthesis(@TempDir final Path dir) throws IOException {
        // The pack really runs from Java: a table without point-in-time recovery fails synth.
        App app = App.Builder.create().outdir(dir.toString()).build();
        Stack stack = new Stack(app, "Unprotected", StackProps.builder()
                .env(Environment.builder().region("ap-south-1").build()).build());
        BlueprintTable.Builder.create(stack, "Table")
                .partitionKey(Attribute.builder().name("PK").type(AttributeType.STRING).build())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(false)
                        .build())
                .build();
        Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app));
        RuntimeException e = assertThrows(RuntimeException.class, app::synth);
        assertTrue(e.getMessage().startsWith("ValidationFailed"), e.getMessage());
        String report = Files.readString(dir.resolve("validation-report.json"));
        assertTrue(report.contains("DynamoDBBlueprint-DDB1[Replica::ap-south-1]"), report);
    }

    @Test
    void theGlobalTableIsIdenticalToTheTypeScriptOrdersLab() throws IOException {
        String path = System.getenv(TS_TEMPLATE_ENV);
        if (path == null || path.isEmpty()) {
            fail(TS_TEMPLATE_ENV + " is not set: run `bash scripts/ci/multi-language.sh` from the repository root, "
                    + "or synthesize examples/orders-lab (in that folder: CDK_OUTDIR=<dir> npx ts-node --transpile-only main.ts) "
                    + "and point " + TS_TEMPLATE_ENV
                    + " at <dir>/OrdersLab.template.json.");
        }
        Map<String, Object> typescript = globalTables(Template.fromString(Files.readString(Path.of(path))).toJSON());
        Map<String, Object> java = globalTables(template.toJSON());
        assertEquals(1, typescript.size());
        // Same construct path, same logical id; then every property, policy and dependency.
        assertEquals(typescript, java);
    }
}
