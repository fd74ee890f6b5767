import { HostLanguage, hostLanguage, spellForHost } from '../../src/private/host-language';

describe('hostLanguage', () => {
  // The values each jsii runtime sets in JSII_AGENT when it starts the Node process.
  test.each([
    [undefined, HostLanguage.TYPESCRIPT],
    ['Python/3.11.4', HostLanguage.PYTHON],
    ['Java/17.0.9', HostLanguage.JAVA],
    ['DotNet/8.0.1/.NETCoreApp,Version=v8.0/1.0.0.0', HostLanguage.DOTNET],
    ['go1.22.1/linux/amd64', HostLanguage.GO],
    ['Ruby/3.2', HostLanguage.UNKNOWN],
  ])('JSII_AGENT=%s is %s', (agent, language) => {
    expect(hostLanguage(agent === undefined ? {} : { JSII_AGENT: agent })).toBe(language);
  });
});

describe('spellForHost', () => {
  const message = '`replicas[0].pointInTimeRecoverySpecification.recoveryPeriodInDays` is 40; set `removalPolicy: RemovalPolicy.RETAIN` or call `Capacity.autoscaled({ maxCapacity })`.';

  test('leaves TypeScript as written', () => {
    expect(spellForHost(message, HostLanguage.TYPESCRIPT)).toBe(message);
  });

  test('Python: snake_case props and methods, keyword arguments', () => {
    expect(spellForHost(message, HostLanguage.PYTHON)).toBe(
      '`replicas[0].point_in_time_recovery_specification.recovery_period_in_days` is 40; set `removal_policy=RemovalPolicy.RETAIN` or call `Capacity.autoscaled({ max_capacity })`.');
  });

  test('Java: builder methods', () => {
    expect(spellForHost('set `removalPolicy: RemovalPolicy.RETAIN`; `addBlueprintGlobalSecondaryIndex()`', HostLanguage.JAVA))
      .toBe('set `.removalPolicy(RemovalPolicy.RETAIN)`; `addBlueprintGlobalSecondaryIndex()`');
  });

  test('.NET and Go: PascalCase; Go writes static members Type_Member', () => {
    expect(spellForHost('`readCapacity` and `table.addBlueprintGlobalSecondaryIndex(...)`', HostLanguage.DOTNET))
      .toBe('`ReadCapacity` and `table.AddBlueprintGlobalSecondaryIndex(...)`');
    expect(spellForHost('`readCapacity: Capacity.fixed(5)`', HostLanguage.GO)).toBe('`ReadCapacity: Capacity_Fixed(5)`');
  });

  test('keeps index names inside brackets', () => {
    expect(spellForHost('`globalSecondaryIndexes[byStatus].readCapacity`', HostLanguage.PYTHON)).toBe('`global_secondary_indexes[byStatus].read_capacity`');
  });

  test('struct fields inside code, but not quoted keys or values', () => {
    const fields = "`{ requestsPerSecond: 50, distribution: KeyDistribution.uniform(1000) }`, `{ \"S\": \"x\" }`, `{ keyAttribute: 'PK', keyPrefix: 'TASK#' }`";
    expect(spellForHost(fields, HostLanguage.PYTHON))
      .toBe("`{ requests_per_second: 50, distribution: KeyDistribution.uniform(1000) }`, `{ \"S\": \"x\" }`, `{ key_attribute: 'PK', key_prefix: 'TASK#' }`");
    expect(spellForHost(fields, HostLanguage.JAVA)).toBe(fields);
    expect(spellForHost('`Function.fromFunctionAttributes(scope, id, { functionArn, role })`', HostLanguage.DOTNET))
      .toBe('`Function.FromFunctionAttributes(scope, id, { FunctionArn, Role })`');
  });

  test.each(Object.values(HostLanguage))('spelling twice changes nothing (%s): a wrapped error keeps its spelling', (language) => {
    const once = spellForHost(message, language);
    expect(spellForHost(`\`traffic\` of write traffic 'w': ${once}`, language)).toBe(`${spellForHost('`traffic` of write traffic \'w\': ', language)}${once}`);
  });

  test('an unknown caller gets both spellings', () => {
    expect(spellForHost('`readCapacity` is 0; `STATUS#0`', HostLanguage.UNKNOWN)).toBe('`readCapacity` (Python: `read_capacity`) is 0; `STATUS#0`');
  });
});
