package dev.tollgate.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import java.util.Map;

/**
 * Declares every CRD's {@code status.conditions} a list-map keyed by {@code type}, as
 * metav1.Condition lists are: the API server then refuses two conditions of one type, and
 * server-side apply merges conditions by type, so that each writer owns only the conditions it
 * applies. Fabric8's generator has no annotation for list types (fabric8io/kubernetes-client#6669).
 */
final class ConditionListMaps implements CRDPostProcessor {

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!(crd instanceof CustomResourceDefinition definition)) {
      throw new IllegalStateException("expected an apiextensions/v1 CRD, got " + crd.getKind());
    }
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      JSONSchemaProps conditions = conditionsOf(definition, version);
      conditions.setXKubernetesListType("map");
      conditions.setXKubernetesListMapKeys(List.of("type"));
    }
    return crd;
  }

  private static JSONSchemaProps conditionsOf(
      CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    JSONSchemaProps status = property(root.getProperties(), "status");
    JSONSchemaProps conditions =
        status == null ? null : property(status.getProperties(), "conditions");
    if (conditions == null || conditions.getItems() == null) {
      throw new IllegalStateException(
          crd.getMetadata().getName()
              + " version "
              + version.getName()
              + " has no status.conditions list: every Tollgate kind reports conditions");
    }
    return conditions;
  }

  private static JSONSchemaProps property(Map<String, JSONSchemaProps> properties, String name) {
    return properties == null ? null : properties.get(name);
  }
}
