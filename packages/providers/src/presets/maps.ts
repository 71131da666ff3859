import type { Preset } from "../preset-types.ts";

export const googleGeocoding: Preset = {
  id: "google-geocoding",
  providerType: "maps",
  provider: "Google Maps Platform",
  name: "Google: geocode an address",
  description:
    "Looks up the coordinates of an address with the Geocoding API: a GET with query parameters, the API key goes in the key query parameter.",
  docsUrl: "https://developers.google.com/maps/documentation/geocoding/requests-geocoding",
  sourceEvent: "address.created",
  destination: {
    url: "https://maps.googleapis.com/maps/api/geocode/json",
    method: "GET",
    query: { address: "<<event.payload.address>>", key: "<<secret.apiKey>>" },
  },
  mapping: null,
  secrets: [
    {
      name: "apiKey",
      label: "Google Maps API key",
      description: "A Google Maps Platform API key with the Geocoding API enabled.",
    },
  ],
  parameters: [],
  sampleEvent: { name: "address.created", payload: { address: "1600 Amphitheatre Parkway, Mountain View, CA" } },
};

export const mapboxGeocoding: Preset = {
  id: "mapbox-geocoding",
  providerType: "maps",
  provider: "Mapbox",
  name: "Mapbox: geocode an address",
  description:
    "Forward geocoding with the Mapbox Geocoding API v6: a GET with the address (q) and the access token as query parameters.",
  docsUrl: "https://docs.mapbox.com/api/search/geocoding/#forward-geocoding-with-search-text-input",
  sourceEvent: "address.created",
  destination: {
    url: "https://api.mapbox.com/search/geocode/v6/forward",
    method: "GET",
    query: { q: "<<event.payload.address>>", limit: "1", access_token: "<<secret.accessToken>>" },
  },
  mapping: null,
  secrets: [
    {
      name: "accessToken",
      label: "Mapbox access token",
      description: "A Mapbox access token (pk.…) allowed to use geocoding.",
    },
  ],
  parameters: [],
  sampleEvent: { name: "address.created", payload: { address: "1600 Amphitheatre Parkway, Mountain View, CA" } },
};
