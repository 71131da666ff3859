// The registry's shapes are a contract shared with the admin.
export {
  CountrySchema,
  ProviderTypeSchema,
  RegistryEntrySchema,
  RegistryInputSchema,
  RegistryOverridesSchema,
} from "@ib/core/contracts/registry";
